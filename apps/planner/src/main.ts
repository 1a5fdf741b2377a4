// The planner: five steps as tabs (keyboard: arrow keys, Home, End), wired to the workers through the tab modules.
import { initClvTab } from './clv-tab.js';
import { initDataTab } from './data-tab.js';
import { initFitTab, setOnFit } from './fit-tab.js';
import { initPlanForFit, initPlanTab } from './plan-tab.js';
import { renderResults } from './results-tab.js';
import { $, showError } from './ui.js';

const tabs = Array.from(document.querySelectorAll<HTMLButtonElement>('[role=tab]'));

function select(tab: HTMLButtonElement, focus = false): void {
  for (const t of tabs) {
    const on = t === tab;
    t.setAttribute('aria-selected', String(on));
    t.tabIndex = on ? 0 : -1;
    $(t.getAttribute('aria-controls')!).hidden = !on;
  }
  if (focus) tab.focus();
}

for (const [i, t] of tabs.entries()) {
  t.addEventListener('click', () => select(t));
  t.addEventListener('keydown', (e) => {
    const k = e.key;
    const j =
      k === 'ArrowRight'
        ? (i + 1) % tabs.length
        : k === 'ArrowLeft'
          ? (i - 1 + tabs.length) % tabs.length
          : k === 'Home'
            ? 0
            : k === 'End'
              ? tabs.length - 1
              : -1;
    if (j >= 0) {
      e.preventDefault();
      select(tabs[j], true);
    }
  });
}

setOnFit((fit) => {
  try {
    renderResults(fit);
  } catch (e) {
    showError(e, 'Results: ');
  }
  if (fit.method === 'gbdt') {
    $('plan').hidden = true;
    $('no-plan').hidden = false;
    $('no-plan').textContent = 'A gradient-boosted fit has no response curves to plan with: fit a Bayesian or classical model (step 2).';
    return;
  }
  initPlanForFit(fit).catch((e: unknown) => showError(e, 'Plan: '));
});

initDataTab();
initFitTab();
initPlanTab();
initClvTab();
