import { ownEntry } from '../util/own-entry.js';

/** Fills `{{variable}}` placeholders; an unknown variable renders empty rather than as its name. */
export function fillTemplate(template: string, variables: Record<string, string>): string {
  return template.replace(/\{\{\s*([A-Za-z_]\w*)\s*\}\}/g, (_, name: string) => ownEntry(variables, name) ?? '');
}
