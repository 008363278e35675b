import type { BatchReport } from './batch-report.js';

/**
 * Sends a report to the bridge's admin console (`POST /admin/api/batch-reports` on the agent URL's origin), where
 * it is shown beside the rounds the run created. Returns a line saying how it went; a failed upload is not a
 * failed batch.
 */
export async function uploadReport(report: BatchReport, agentUrl: string, adminToken: string): Promise<string> {
  const target = new URL('/admin/api/batch-reports', agentUrl);
  try {
    const response = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify(report),
    });
    if (response.ok) return `uploaded to the admin console (${target.origin}/admin)\n`;
    return `upload to ${target} failed: HTTP ${response.status} ${(await response.text()).slice(0, 200)}\n`;
  } catch (error) {
    return `upload to ${target} failed: ${error instanceof Error ? error.message : String(error)}\n`;
  }
}
