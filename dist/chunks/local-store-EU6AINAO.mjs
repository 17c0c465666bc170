import{createRequire as __jitpCR}from'node:module';const require=__jitpCR(import.meta.url);
import{LocalLeaseStore,ensureStoreDir}from"./chunk-6DI6QQUR.mjs";import"./chunk-A5DRSOTC.mjs";import"./chunk-MNGRIDRE.mjs";import"./chunk-VLGRFQDO.mjs";import"./chunk-QTBIG56Y.mjs";import"./chunk-DLBHB7P5.mjs";export{LocalLeaseStore,ensureStoreDir};
