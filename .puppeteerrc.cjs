/* global module */
/**
 * Puppeteer (a dependency of whatsapp-web.js) downloads Chrome in its postinstall by default.
 * Charla drives the system's chromium instead (CHROMIUM_PATH, default /usr/bin/chromium), so
 * `npm install` must not fetch a browser: it would fail offline and on machines Chrome does not
 * support, and it costs ~170 MB. Puppeteer reads this file from the project root.
 */
module.exports = { skipDownload: true };
