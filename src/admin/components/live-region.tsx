import type { Child } from 'hono/jsx';

/**
 * A part of a page that keeps itself current: the client script polls `src` (a JSON route answering
 * `version` as its ETag) and, when the version moves, re-renders this part from the page.
 */
export function LiveRegion(props: { id: string; src: string; version: string; children: Child }) {
  return (
    <div id={props.id} data-live-src={props.src} data-live-version={props.version}>
      {props.children}
    </div>
  );
}
