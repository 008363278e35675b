import { digest } from '../digest.js';
import { adminCss } from './admin-css.js';
import { adminScript } from './admin-script.js';

/** The console's assets by name, and their URLs: versioned by content, so browsers may cache them for good. */
export const assets = {
  'admin.css': { body: adminCss, type: 'text/css; charset=utf-8' },
  'admin.js': { body: adminScript, type: 'text/javascript; charset=utf-8' },
} as const;

export const assetPath = {
  css: `/admin/assets/admin.css?v=${digest(adminCss)}`,
  script: `/admin/assets/admin.js?v=${digest(adminScript)}`,
};
