// The plan worker: holds the fit and answers "what does this allocation give" and "what is the best split" (per period,
// or as a calendar over the coming periods), so sliders stay responsive while a fit runs in the compute worker.
import { designExperiments, evaluateSchedule, optimizeBudget, planSchedule, type MMMFit, type ModelFit } from '@mmm/pipeline';
import { failure, type PlanRequest, type WorkerReply } from './protocol.js';

let fit: ModelFit | undefined;
const post = (m: WorkerReply) => (self as unknown as Worker).postMessage(m);

self.addEventListener('message', (e: MessageEvent<PlanRequest>) => {
  const req = e.data;
  try {
    if (req.op === 'setFit') {
      const given = req.fit as MMMFit;
      // a gradient-boosted benchmark has no curves to plan with; the plan tab does not send one
      if (given.method === 'gbdt') throw new Error('A gradient-boosted benchmark has no response curves to plan a budget with.');
      fit = given;
      post({ id: req.id, type: 'result', result: true });
      return;
    }
    if (!fit) throw new Error('No fit yet: fit a model or load a saved fit first.');
    if (req.op === 'evaluate') {
      const total = Object.values(req.allocation).reduce((a, v) => a + v, 0);
      // every channel fixed at its amount: the response of exactly this allocation, with its interval
      const r = optimizeBudget(fit, { totalBudget: total, fixed: req.allocation, current: req.allocation, maxDraws: 300 });
      post({
        id: req.id,
        type: 'result',
        result: {
          expectedResponse: r.expectedResponse,
          responseInterval: r.responseInterval,
          responseByChannel: r.responseByChannel,
          marginalRoas: r.marginalRoas,
        },
      });
      return;
    }
    // plans over time: the calendar's optimum, or the figures of the calendar as edited
    if (req.op === 'schedule') {
      post({ id: req.id, type: 'result', result: planSchedule(fit, { maxDraws: 300, ...req.options }) });
      return;
    }
    // which lift test to run next, judged from the fit's draws
    if (req.op === 'experiments') {
      post({ id: req.id, type: 'result', result: designExperiments(fit, { maxDraws: 500, outcomes: 100, ...req.options }) });
      return;
    }
    if (req.op === 'evaluateSchedule') {
      post({ id: req.id, type: 'result', result: evaluateSchedule(fit, { maxDraws: 300, ...req.options }) });
      return;
    }
    post({ id: req.id, type: 'result', result: optimizeBudget(fit, { maxDraws: 300, ...req.options }) });
  } catch (err) {
    post({ id: req.id, type: 'error', error: failure(err) });
  }
});
