// `npm run test:stress`: dead-holder lock recovery, 8 rounds of 12 contenders.
process.env.JITP_LOCK_ROUNDS ??= '8';
await import('../store/lock-recovery.test.js');
