/**
 * The shared real datasets (CDNOW, Telco, Online Retail) live beside the project
 * in ../shared/data, on every developer machine and in CI; vite.config.ts provides
 * their folder to tests as `sharedData`. Their SOURCE.md files hold the published
 * reference figures the tests compare with.
 */
export const datasets = {
  retailCsv: 'online_retail/online_retail.csv',
  retailParquet: 'online_retail/online_retail.parquet',
  telco: 'telco/WA_Fn-UseC_-Telco-Customer-Churn.csv',
  cdnowMaster: 'cdnow/CDNOW_master.txt',
  cdnowSample: 'cdnow/CDNOW_sample.txt',
  cdnowSummary: 'cdnow/cdnow_customers_summary.csv',
  cdnowSummaryTx: 'cdnow/cdnow_customers_summary_with_transactions.csv',
} as const;

export type Dataset = keyof typeof datasets;

declare module 'vitest' {
  export interface ProvidedContext {
    sharedData: string;
  }
}
