/**
 * The console's only client code, served as /admin/assets/admin.js (plain ES2020, no framework):
 * - times rendered in UTC are shown in the browser's time zone;
 * - live parts of a page (`data-live-src`) poll their JSON route with the version they were rendered
 *   with (`If-None-Match`); on a change, the part is re-rendered from the page itself (server JSX only);
 * - buttons with `data-post` POST to the JSON API (retry a callback) and refresh their live part;
 * - the time-range inputs of a filter send UTC, and empty filter fields are not sent.
 * Kept as a string rather than compiled from TypeScript: bundlers add helpers (esbuild's `__name`) to
 * function bodies that would not exist in the browser.
 */
export const adminScript = `(() => {
  'use strict';
  const POLL_MS = 5000;
  const pad = (n) => String(n).padStart(2, '0');
  const dateTime = (d) =>
    d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' +
    pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds());
  const clock = (d) => pad(d.getHours()) + ':' + pad(d.getMinutes());
  const inputValue = (d) => dateTime(d).slice(0, 16).replace(' ', 'T');

  function localize(root) {
    root.querySelectorAll('time[datetime]').forEach((element) => {
      const date = new Date(element.getAttribute('datetime'));
      if (Number.isNaN(date.getTime())) return;
      element.title = date.toISOString();
      element.textContent = element.dataset.format === 'clock' ? clock(date) : dateTime(date);
    });
    root.querySelectorAll('[data-clock]').forEach((element) => {
      element.textContent = clock(new Date(Number(element.dataset.clock))) + (element.dataset.suffix || '');
    });
    root.querySelectorAll('img').forEach((image) => {
      if (image.complete && image.naturalWidth === 0) image.classList.add('broken');
    });
    const zone = document.getElementById('time-zone');
    if (zone) {
      const minutes = -new Date().getTimezoneOffset();
      const sign = minutes < 0 ? '-' : '+';
      zone.textContent = 'UTC' + sign + pad(Math.floor(Math.abs(minutes) / 60)) + ':' + pad(Math.abs(minutes) % 60);
    }
  }

  let live = localStorage.getItem('bridge-admin-live') !== 'off';
  const liveToggle = document.getElementById('live-toggle');
  function showLive() {
    if (!liveToggle) return;
    liveToggle.classList.toggle('live-on', live);
    liveToggle.querySelector('.live-label').textContent = live ? 'Live' : 'Paused';
    liveToggle.title = live ? 'Updates every 5 s; click to pause' : 'Click to resume live updates';
  }
  if (liveToggle) {
    liveToggle.addEventListener('click', () => {
      live = !live;
      localStorage.setItem('bridge-admin-live', live ? 'on' : 'off');
      showLive();
      if (live) poll();
    });
  }

  async function refresh(region) {
    const response = await fetch(location.href, { headers: { accept: 'text/html' }, cache: 'no-store' });
    if (response.redirected || !response.ok) return location.reload();
    const page = new DOMParser().parseFromString(await response.text(), 'text/html');
    const fresh = page.getElementById(region.id);
    const current = document.getElementById(region.id);
    if (!fresh || !current) return;
    const open = Array.from(current.querySelectorAll('details[open][id]'), (details) => details.id);
    current.replaceWith(fresh);
    open.forEach((id) => document.getElementById(id)?.setAttribute('open', ''));
    localize(fresh);
  }

  let polling = false;
  async function poll() {
    if (!live || document.hidden || polling) return;
    polling = true;
    try {
      for (const region of document.querySelectorAll('[data-live-src]')) {
        const response = await fetch(region.dataset.liveSrc, {
          headers: { accept: 'application/json', 'if-none-match': '"' + region.dataset.liveVersion + '"' },
          cache: 'no-store',
        });
        if (response.status === 401) return location.reload();
        if (response.status === 200) await refresh(region);
      }
    } catch {
      // The bridge is restarting or the network blinked: the next tick tries again.
    } finally {
      polling = false;
    }
  }

  let toastTimer;
  function toast(message, bad) {
    const element = document.getElementById('toast');
    if (!element) return;
    element.textContent = message;
    element.classList.toggle('bad', Boolean(bad));
    element.classList.add('shown');
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => element.classList.remove('shown'), 4000);
  }

  document.addEventListener('click', async (event) => {
    const button = event.target.closest('button[data-post]');
    if (!button) return;
    event.preventDefault();
    if (button.dataset.confirm && !confirm(button.dataset.confirm)) return;
    button.disabled = true;
    try {
      const response = await fetch(button.dataset.post, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: '{}',
      });
      const body = await response.json().catch(() => ({}));
      if (response.ok) toast(button.dataset.done || 'Done');
      else toast(body.ret_msg || 'Failed: HTTP ' + response.status, true);
      const region = button.closest('[data-live-src]');
      if (region) await refresh(region);
    } catch {
      toast('The bridge did not answer', true);
    } finally {
      button.disabled = false;
    }
  });

  document.querySelectorAll('form.filters').forEach((form) => {
    form.querySelectorAll('input[data-utc-into]').forEach((input) => {
      const hidden = form.elements.namedItem(input.dataset.utcInto);
      const date = hidden && hidden.value ? new Date(/^\\d+$/.test(hidden.value) ? Number(hidden.value) : hidden.value) : null;
      if (date && !Number.isNaN(date.getTime())) input.value = inputValue(date);
    });
    form.addEventListener('submit', () => {
      form.querySelectorAll('input[data-utc-into]').forEach((input) => {
        form.elements.namedItem(input.dataset.utcInto).value = input.value ? new Date(input.value).toISOString() : '';
      });
      Array.from(form.elements).forEach((field) => {
        if (field.name && !field.value) field.disabled = true;
      });
    });
  });

  // Card thumbnails live on the customer's servers; one that does not load leaves its placeholder.
  document.addEventListener('error', (event) => {
    if (event.target instanceof HTMLImageElement) event.target.classList.add('broken');
  }, true);

  localize(document);
  showLive();
  setInterval(poll, POLL_MS);
  document.addEventListener('visibilitychange', () => { if (!document.hidden) poll(); });
})();
`;
