// The page's entry: paints the PIN screen in plain DOM when the app will ask for the PIN
// (ui/lock/early-lock.ts), then starts the app (main.tsx, a build entry of its own: about a second
// of parsing and running at 4x CPU) by the URL index.html names (vite.config.ts, appEntryMeta),
// after that screen's first frame, so the frame is not held up behind it. Without the early
// screen the app starts at once. Nothing here is shared with the app's chunk (see early-lock.ts).
import './ui/app.css';
import { paintEarlyLock } from './ui/lock/early-lock.ts';

function failed(e: unknown): void {
  document.getElementById('early-lock')?.remove();
  const root = document.getElementById('root');
  if (!root) return;
  const p = document.createElement('p');
  p.className = 'alert alert-error';
  p.setAttribute('role', 'alert');
  p.textContent = `无法加载应用，请重试。 The app could not be loaded: ${e instanceof Error ? e.message : String(e)}`;
  const retry = document.createElement('button');
  retry.className = 'btn';
  retry.textContent = '重试 Retry';
  retry.onclick = () => window.location.reload();
  root.replaceChildren(p, retry);
}

let started = false;
function start(): void {
  if (started) return;
  started = true;
  const href = document.querySelector<HTMLMetaElement>('meta[name="pucha-app"]')?.content;
  if (!href) return failed(new Error('index.html does not name the app entry'));
  import(/* @vite-ignore */ href).catch(failed);
}

performance.mark('pucha:boot'); // start-up marks, read by bench/ui-cold-start.ts
if (paintEarlyLock()) {
  // After the frame that paints it (a hidden page gets no frames: the timeout starts it anyway).
  requestAnimationFrame(() => setTimeout(start, 0));
  setTimeout(start, 300);
} else start();
