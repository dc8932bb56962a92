// Refreshes an import's progress without reloading the page: fetches the job's JSON (same origin,
// with the session cookie) every two seconds while it runs, updates the figures in place, and fills
// in the report once the job has finished. Without JavaScript the page links to a reload.
const root = document.querySelector('[data-import-url]');
const updated = document.getElementById('import-updated');

const setText = (field, text) => {
  const cell = root.querySelector(`[data-field="${field}"]`);
  if (cell && cell.textContent !== text) cell.textContent = text;
};

const showReport = (lines) => {
  const table = document.getElementById('report');
  const empty = document.getElementById('report-empty');
  const body = table.querySelector('tbody');
  body.replaceChildren(
    ...lines.map((line) => {
      const row = document.createElement('tr');
      row.className = 'govuk-table__row';
      for (const [label, text, numeric] of [
        ['Line', String(line.line), false],
        ['Address as written', line.email || '(empty)', false],
        ['Reason', line.reasonText, false],
      ]) {
        const cell = document.createElement('td');
        cell.className = `govuk-table__cell${numeric ? ' govuk-table__cell--numeric' : ''}`;
        cell.dataset.label = label;
        cell.textContent = text;
        row.append(cell);
      }
      return row;
    }),
  );
  table.hidden = lines.length === 0;
  empty.hidden = lines.length > 0;
  empty.textContent = 'No row has been reported.';
};

const render = (job) => {
  setText('stateText', job.stateText);
  for (const field of ['done', 'total', 'invited', 'rejected', 'skipped']) setText(field, String(job[field]));
  setText('percent', `${job.percent}%`);
  setText(
    'pace',
    job.rowsPerSecond ? `${job.rowsPerSecond} rows a second, about ${job.secondsLeft} s left` : '–',
  );
  const bar = document.getElementById('import-progress');
  bar.max = job.total > 0 ? job.total : 1;
  bar.value = job.done;
  bar.setAttribute('aria-label', `Rows done: ${job.done} of ${job.total}`);
  if (job.finished) {
    showReport(job.lines);
    updated.textContent = 'The import has finished.';
  } else {
    updated.textContent = `Progress as at ${new Date().toLocaleTimeString('en-GB')}, refreshed automatically.`;
  }
};

let timer;
const stop = (message) => {
  clearInterval(timer);
  if (message) updated.textContent = message;
};

const refresh = async () => {
  try {
    const response = await fetch(root.dataset.importUrl, {
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
      cache: 'no-store',
      redirect: 'manual',
    });
    if (response.type === 'opaqueredirect' || response.status === 401 || response.status === 403)
      return stop(
        'The progress stopped refreshing: your session has ended. Reload the page to sign in again.',
      );
    if (!response.ok) return;
    const job = await response.json();
    render(job);
    if (job.finished) stop();
  } catch {
    // A failed refresh leaves the last figures shown; the next one tries again.
  }
};

if (root && root.dataset.finished !== 'true') {
  timer = setInterval(refresh, 2000);
  refresh();
}
