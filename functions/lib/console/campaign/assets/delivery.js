// Refreshes the delivery counts on a campaign page without reloading it: fetches the page's JSON
// endpoint (same origin, with the session cookie) every few seconds and updates the table in place.
// Without JavaScript the table shows the counts as the page was served, with a link to reload.
const table = document.querySelector('[data-delivery-url]');
const updated = document.getElementById('delivery-updated');

const setText = (row, field, text) => {
  const cell = row.querySelector(`[data-field="${field}"]`);
  if (cell && cell.textContent !== text) cell.textContent = text;
};

const render = (report) => {
  for (const step of report.steps) {
    const row = table.querySelector(`[data-step-row="${CSS.escape(step.key)}"]`);
    if (!row) continue;
    setText(row, 'statusLabel', step.statusLabel);
    for (const field of ['recipients', 'sent', 'failed', 'suppressed']) {
      setText(row, field, step.hasCounts ? String(step[field]) : '–');
    }
    const bar = row.querySelector('progress');
    if (bar) {
      bar.max = step.recipients > 0 ? step.recipients : 1;
      bar.value = step.settled;
      bar.hidden = !step.inProgress;
      bar.setAttribute('aria-label', `${step.title}: ${step.settled} of ${step.recipients} settled`);
    }
    setText(row, 'percent', step.inProgress ? `${step.percent}%` : step.status === 'sent' ? 'Done' : '');
  }
  if (updated)
    updated.textContent = `Counts as at ${new Date(report.generatedAt).toLocaleTimeString('en-GB')}, refreshed automatically.`;
};

let timer;

/** The session ended (the console redirects to its sign-in page): stop, and say how to go on. */
const signedOut = () => {
  clearInterval(timer);
  timer = undefined;
  if (updated)
    updated.textContent =
      'The counts stopped refreshing: your session has ended. Reload the page to sign in again.';
};

const refresh = async () => {
  try {
    const response = await fetch(table.dataset.deliveryUrl, {
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
      cache: 'no-store',
      redirect: 'manual',
    });
    if (response.type === 'opaqueredirect' || response.status === 401 || response.status === 403)
      return signedOut();
    if (response.ok) render(await response.json());
  } catch {
    // A failed refresh leaves the last counts shown; the next one tries again.
  }
};

if (table) {
  const seconds = Math.max(1, Number(table.dataset.refreshSeconds) || 5);
  timer = setInterval(refresh, seconds * 1000);
  // No polling while the tab is hidden; one refresh as soon as it shows again.
  document.addEventListener('visibilitychange', () => {
    if (timer === undefined) return;
    clearInterval(timer);
    if (document.visibilityState === 'visible') {
      refresh();
      timer = setInterval(refresh, seconds * 1000);
    }
  });
}
