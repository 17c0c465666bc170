// Bigger cross-machine race (npm run test:stress): 4 clones x 6 processes x 40 rounds.
process.env.JITP_REMOTE_RACE ??= '4,6,40';
await import('../remote/race.test.js');
