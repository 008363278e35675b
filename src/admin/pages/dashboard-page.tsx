import type { Child } from 'hono/jsx';
import type { Versioned } from '../admin-data.js';
import { TimeSeriesChart, type Series } from '../charts/time-series-chart.js';
import { formatCount, formatMs, formatPercent } from '../components/format.js';
import { Layout } from '../components/layout.js';
import { LiveRegion } from '../components/live-region.js';
import type { Health, HealthRange } from '../health.js';

const rangeNames: Record<HealthRange, string> = { hour: 'Last hour', day: 'Last 24 hours' };

/** Health at a glance: traffic, errors, latency and the outbox, over the last hour or day. */
export function DashboardPage(props: { health: Health & Versioned }) {
  const { health } = props;
  const times = health.points.map((point) => point.at);
  const values = (pick: (point: Health['points'][number]) => number | null) => health.points.map(pick);
  const perBucket = health.range === 'hour' ? 'per minute' : 'per minute, by quarter hour';
  return (
    <Layout
      section="dashboard"
      title="Dashboard"
      subtitle={rangeNames[health.range]}
      actions={(Object.keys(rangeNames) as HealthRange[]).map((range) => (
        <a class={range === health.range ? 'btn primary' : 'btn'} href={`/admin?range=${range}`}>
          {rangeNames[range]}
        </a>
      ))}
    >
      <LiveRegion id="health" src={`/admin/api/health?range=${health.range}`} version={health.version}>
        <div class="stats">
          <Stat
            label="Rounds"
            value={String(health.totals.rounds)}
            hint={`${formatCount(health.totals.roundsPerMinute)} per minute`}
          />
          <Stat
            label="Error rate"
            value={formatPercent(health.totals.errorRate)}
            tone={health.totals.failed > 0 ? 'bad' : undefined}
            hint={`${health.totals.failed} failed`}
          />
          <Stat label="Latency p50" value={formatMs(health.totals.p50Ms)} hint="received → done" />
          <Stat label="Latency p95" value={formatMs(health.totals.p95Ms)} hint="received → done" />
          <Stat label="Outbox pending" value={String(health.outbox.pending)} hint="callbacks waiting now" />
          <Stat
            label="Dead callbacks"
            value={String(health.outbox.dead)}
            tone={health.outbox.dead > 0 ? 'bad' : undefined}
            hint={<a href="/admin/callbacks?status=dead">review and retry</a>}
          />
        </div>
        <div class="grid two">
          <ChartPanel title="Rounds" note={perBucket} series={[]}>
            <TimeSeriesChart
              label="Rounds per minute"
              times={times}
              series={[
                { name: 'rounds/min', values: values((point) => point.roundsPerMinute), style: 'bars', tone: 'blue' },
              ]}
              format={formatCount}
              minMax={1}
            />
          </ChartPanel>
          <ChartPanel title="Error rate" note="failed rounds / rounds received" series={[]}>
            <TimeSeriesChart
              label="Error rate"
              times={times}
              series={[{ name: 'error rate', values: values((point) => point.errorRate), style: 'line', tone: 'red' }]}
              format={formatPercent}
              minMax={0.1}
              cap={1}
            />
          </ChartPanel>
          <ChartPanel title="Latency" note="received → done" series={latencySeries(health)}>
            <TimeSeriesChart
              label="Latency p50 and p95"
              times={times}
              series={latencySeries(health)}
              format={formatMs}
              minMax={100}
            />
          </ChartPanel>
          <ChartPanel title="Outbox depth" note="callbacks waiting for Sobot" series={[]}>
            <TimeSeriesChart
              label="Outbox depth"
              times={times}
              series={[{ name: 'waiting', values: values((point) => point.outboxDepth), style: 'line', tone: 'amber' }]}
              format={formatCount}
              minMax={5}
            />
          </ChartPanel>
        </div>
      </LiveRegion>
    </Layout>
  );
}

function latencySeries(health: Health): Series[] {
  return [
    { name: 'p50', values: health.points.map((point) => point.p50Ms), style: 'line', tone: 'blue' },
    { name: 'p95', values: health.points.map((point) => point.p95Ms), style: 'line', tone: 'amber' },
  ];
}

function Stat(props: { label: string; value: string; hint?: Child; tone?: 'bad' | 'ok' | undefined }) {
  return (
    <div class="stat">
      <div class="label">{props.label}</div>
      <div class={props.tone ? `value ${props.tone}` : 'value'}>{props.value}</div>
      {props.hint && <div class="hint">{props.hint}</div>}
    </div>
  );
}

/** A chart with its title, what it measures, and a legend when it shows more than one series. */
function ChartPanel(props: { title: string; note: string; series: Series[]; children: Child }) {
  return (
    <section class="panel">
      <div class="chart-title">
        <h2>{props.title}</h2>
        <span class="muted">{props.note}</span>
      </div>
      {props.series.length > 1 && (
        <div class="legend">
          {props.series.map((series) => (
            <span>
              <i class={`tone-${series.tone}`} />
              {series.name}
            </span>
          ))}
        </div>
      )}
      {props.children}
    </section>
  );
}
