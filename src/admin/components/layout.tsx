import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import { assetPath } from '../assets/asset-paths.js';

export type Section = 'dashboard' | 'conversations' | 'callbacks' | 'batch';

const sections: Array<{ key: Section; href: string; label: string }> = [
  { key: 'dashboard', href: '/admin', label: 'Dashboard' },
  { key: 'conversations', href: '/admin/conversations', label: 'Conversations' },
  { key: 'callbacks', href: '/admin/callbacks', label: 'Callbacks' },
  { key: 'batch', href: '/admin/batch', label: 'Batch tests' },
];

function Document(props: { title: string; children: Child }) {
  return (
    <>
      {raw('<!doctype html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="robots" content="noindex" />
          <title>{props.title} · Bridge admin</title>
          <link rel="stylesheet" href={assetPath.css} />
          <script src={assetPath.script} defer />
        </head>
        <body>{props.children}</body>
      </html>
    </>
  );
}

/** Every signed-in page: the top bar, the page's heading and actions, then its content. */
export function Layout(props: { section: Section; title: string; subtitle?: Child; actions?: Child; children: Child }) {
  return (
    <Document title={props.title}>
      <header class="topbar">
        <a class="brand" href="/admin">
          Sobot Agent Bridge<span>admin</span>
        </a>
        <nav>
          {sections.map((section) => (
            <a href={section.href} class={section.key === props.section ? 'active' : undefined}>
              {section.label}
            </a>
          ))}
        </nav>
        <div class="topbar-right">
          <button type="button" id="live-toggle" class="live-toggle live-on">
            <span class="live-dot" />
            <span class="live-label">Live</span>
          </button>
          <form method="post" action="/admin/logout">
            <button type="submit">Log out</button>
          </form>
        </div>
      </header>
      <main class="page">
        <div class="page-head">
          <h1>{props.title}</h1>
          {props.subtitle && <span class="sub">{props.subtitle}</span>}
          {props.actions && <div class="actions">{props.actions}</div>}
        </div>
        {props.children}
      </main>
      <footer class="page-foot">
        Times in <span id="time-zone">UTC</span>
      </footer>
      <div id="toast" class="toast" role="status" aria-live="polite" />
    </Document>
  );
}

/** The login page: the only page without the top bar. */
export function LoginLayout(props: { children: Child }) {
  return <Document title="Log in">{props.children}</Document>;
}
