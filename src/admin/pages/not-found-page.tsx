import type { Section } from '../components/layout.js';
import { Layout } from '../components/layout.js';

/** A console page for something that does not exist (a mistyped or pruned id). */
export function NotFoundPage(props: { section: Section; title: string; message: string; back: string }) {
  return (
    <Layout section={props.section} title={props.title}>
      <section class="panel">
        <p>{props.message}</p>
        <a class="btn" href={props.back}>
          Back
        </a>
      </section>
    </Layout>
  );
}
