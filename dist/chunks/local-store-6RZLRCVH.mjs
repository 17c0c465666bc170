import{createRequire as __jitpCR}from'node:module';const require=__jitpCR(import.meta.url);
import{LocalLeaseStore,ensureStoreDir}from"./chunk-JM62UZAN.mjs";import"./chunk-HD42U765.mjs";import"./chunk-MNGRIDRE.mjs";import"./chunk-E5YCJI7R.mjs";import"./chunk-424ZN5KH.mjs";import"./chunk-QTBIG56Y.mjs";import"./chunk-DLBHB7P5.mjs";export{LocalLeaseStore,ensureStoreDir};
