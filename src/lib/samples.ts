/** The sample datasets shipped in public/samples, one click from the empty state. */
export interface Sample {
  id: string;
  file: string;
  title: string;
  summary: string;
  origin: string;
  /** ISO 4217 code of the sample's amounts, proposed with its mapping. */
  currency: string;
}

export const SAMPLES: Sample[] = [
  {
    id: 'online-retail',
    file: 'samples/online_retail.parquet',
    title: 'Online Retail',
    summary:
      'A UK gift shop’s order lines, Dec 2010 – Dec 2011: 541,909 lines, 4,372 customers, cancellations included.',
    origin: 'Daqing Chen, UCI Machine Learning Repository (CC BY 4.0)',
    currency: 'GBP',
  },
  {
    id: 'telco',
    file: 'samples/telco_churn.csv',
    title: 'Telco churn',
    summary:
      'One row per subscriber with contract, services, charges and whether they left: 7,043 customers.',
    origin: 'IBM sample data (“Telco customer churn”)',
    currency: 'USD',
  },
  {
    id: 'cdnow',
    file: 'samples/cdnow_master.txt',
    title: 'CDNOW',
    summary:
      'Every purchase of 23,570 CD buyers who first bought in early 1997, through June 1998.',
    origin: 'Fader & Hardie’s research data set, via the lifetimes project',
    currency: 'USD',
  },
];

export function findSample(id: string): Sample | undefined {
  return SAMPLES.find((s) => s.id === id);
}

/**
 * The currency of the sample a table was loaded from (its table is named after the
 * file: `cdnow_master` from samples/cdnow_master.txt), so a US sample is not shown in
 * the default pounds.
 */
export function sampleCurrency(table: string): string | undefined {
  return SAMPLES.find((s) => s.file.replace(/^.*\//, '').replace(/\.[^.]+$/, '') === table)
    ?.currency;
}
