import { readFileSync } from 'node:fs';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

/** The raw CDNOW transactions as rows: master id, customer id, date (YYYYMMDD), CDs, dollars. */
export function cdnowRows(): Array<Record<string, string>> {
  return fixture('CDNOW_sample.txt')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const [master, customer, date, cds, amount] = l.trim().split(/\s+/);
      return { master, customer, date, cds, amount };
    });
}

function csv(name: string): Array<Record<string, string>> {
  const [head, ...lines] = fixture(name).trim().split(/\r?\n/);
  const keys = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [keys[i], v])));
}

/** Hardie's calibration summary (2 decimals), as published with the papers. */
export function cdnowHardie() {
  const rows = csv('cdnow_customers_summary_with_transactions.csv');
  return {
    frequency: rows.map((r) => +r.x),
    recency: rows.map((r) => +r.t_x),
    T: rows.map((r) => +r.T),
    monetaryValue: rows.map((r) => +r.zbar),
  };
}

/** The full-precision summary with holdout frequency. */
export function cdnowFull() {
  const rows = csv('cdnow_rfm_weeks.csv');
  return {
    customer: rows.map((r) => r.customer_id),
    frequency: rows.map((r) => +r.frequency),
    recency: rows.map((r) => +r.recency),
    T: rows.map((r) => +r.T),
    monetaryValue: rows.map((r) => +r.monetary_value),
    holdoutFrequency: rows.map((r) => +r.holdout_frequency),
    firstPurchase: rows.map((r) => r.first_purchase),
  };
}
