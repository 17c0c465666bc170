import{createRequire as __jitpCR}from'node:module';const require=__jitpCR(import.meta.url);
import{LocalLeaseStore,ensureStoreDir}from"./chunk-BHPYJDOP.mjs";import"./chunk-TBZRVDXM.mjs";import"./chunk-SLRDP7TQ.mjs";import"./chunk-MNGRIDRE.mjs";import"./chunk-QTBIG56Y.mjs";import"./chunk-DLBHB7P5.mjs";export{LocalLeaseStore,ensureStoreDir};
