// The media transforms applied to the bundled data with the generator's true parameters. Recomputing each
// channel's contribution and ROAS from @mmm/transforms alone, and matching the generator's own figures, shows
// that our adstock, saturation and scaling are the ones the data (and the Stan reference model) were made with.
import { geometricAdstockInto, hillInto, logisticInto, maxAbsScale, meanScale } from '@mmm/transforms';
import { fileURLToPath } from 'node:url';
import { readWeeklyNational, type Table, type Truth } from './data.js';

export interface ChannelWalkthrough {
  channel: string;
  spend: number;
  alpha: number;
  saturation: string;
  meanSaturation: number;
  contribution: number;
  roas: number;
  trueRoas: number;
}

export function transformsWalkthrough(table: Table, truth: Truth): ChannelWalkthrough[] {
  const y = meanScale(table.columns.sales, 'sales');
  const n = table.rows;
  const adstocked = new Float64Array(n);
  const saturated = new Float64Array(n);
  let hillIndex = 0;
  let logisticIndex = 0;
  return truth.channels.map((channel, c) => {
    const spend = table.columns[channel];
    const x = maxAbsScale(spend, `spend.${channel}`);
    const alpha = truth.params[`alpha[${c + 1}]`];
    geometricAdstockInto(adstocked, x.scaled, alpha, { maxLag: 8, normalize: true });
    let saturation: string;
    if (truth.sat_type[c] === 1) {
      hillIndex += 1;
      const K = truth.params[`K[${hillIndex}]`];
      const S = truth.params[`S[${hillIndex}]`];
      hillInto(saturated, adstocked, K, S);
      saturation = `Hill K=${K.toFixed(3)} S=${S.toFixed(2)}`;
    } else {
      logisticIndex += 1;
      const lam = truth.params[`lam[${logisticIndex}]`];
      logisticInto(saturated, adstocked, lam);
      saturation = `logistic λ=${lam.toFixed(2)}`;
    }
    const beta = truth.params[`beta[${c + 1}]`];
    let sumS = 0;
    let totalSpend = 0;
    for (let t = 0; t < n; t++) {
      sumS += saturated[t];
      totalSpend += spend[t];
    }
    const contribution = beta * sumS * y.scale;
    return {
      channel,
      spend: totalSpend,
      alpha,
      saturation,
      meanSaturation: sumS / n,
      contribution,
      roas: contribution / totalSpend,
      trueRoas: truth.derived[`roas[${c + 1}]`],
    };
  });
}

// `npm run example:transforms`: the table of each channel's recomputed contribution and ROAS against the truth
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { table, truth } = readWeeklyNational();
  console.log(
    '| channel | spend | adstock α | saturation | mean saturation | contribution | ROAS | true ROAS |\n|---|---:|---:|---|---:|---:|---:|---:|',
  );
  for (const r of transformsWalkthrough(table, truth)) {
    console.log(
      `| ${r.channel} | ${(r.spend / 1e3).toFixed(0)}k | ${r.alpha.toFixed(3)} | ${r.saturation} | ${r.meanSaturation.toFixed(4)} | ${(r.contribution / 1e3).toFixed(0)}k | ${r.roas.toFixed(3)} | ${r.trueRoas.toFixed(3)} |`,
    );
  }
}
