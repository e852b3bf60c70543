import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The shared real datasets (CDNOW, Telco, Online Retail) live beside the project
 * in ../shared/data, on every developer machine and in CI. Their SOURCE.md files
 * hold the published reference figures the tests compare with.
 */
export const sharedData = resolve(import.meta.dirname, '../../../shared/data');

export const datasets = {
  retailCsv: resolve(sharedData, 'online_retail/online_retail.csv'),
  retailParquet: resolve(sharedData, 'online_retail/online_retail.parquet'),
  telco: resolve(sharedData, 'telco/WA_Fn-UseC_-Telco-Customer-Churn.csv'),
  cdnowMaster: resolve(sharedData, 'cdnow/CDNOW_master.txt'),
  cdnowSample: resolve(sharedData, 'cdnow/CDNOW_sample.txt'),
  cdnowSummary: resolve(sharedData, 'cdnow/cdnow_customers_summary.csv'),
};

if (!existsSync(datasets.telco)) {
  throw new Error(`The shared datasets are missing: expected them in ${sharedData}.`);
}
