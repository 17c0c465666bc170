// Replaced at bundle time by scripts/build.mjs from package.json.
declare const __JITP_VERSION__: string | undefined;
export const VERSION: string = typeof __JITP_VERSION__ === 'string' ? __JITP_VERSION__ : '0.0.0-dev';
