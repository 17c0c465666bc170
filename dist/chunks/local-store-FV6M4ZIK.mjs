import{createRequire as __jitpCR}from'node:module';const require=__jitpCR(import.meta.url);
import{LocalLeaseStore,ensureStoreDir}from"./chunk-UPIO4MHL.mjs";import"./chunk-LFMA4WEA.mjs";import"./chunk-XJPYHW6P.mjs";import"./chunk-MNGRIDRE.mjs";import"./chunk-QTBIG56Y.mjs";import"./chunk-DLBHB7P5.mjs";export{LocalLeaseStore,ensureStoreDir};
