// Bigger store race (npm run test:stress): 16 processes x 100 rounds.
process.env.JITP_STORE_RACE ??= '16,100';
await import('../store/race.test.js');
