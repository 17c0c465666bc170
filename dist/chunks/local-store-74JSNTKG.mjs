import{createRequire as __jitpCR}from'node:module';const require=__jitpCR(import.meta.url);
<<<<<<<< HEAD:dist/chunks/local-store-74JSNTKG.mjs
import{LocalLeaseStore,ensureStoreDir}from"./chunk-6OI72I3B.mjs";import"./chunk-HDLHMRN4.mjs";import"./chunk-SLRDP7TQ.mjs";import"./chunk-MNGRIDRE.mjs";import"./chunk-QTBIG56Y.mjs";import"./chunk-DLBHB7P5.mjs";export{LocalLeaseStore,ensureStoreDir};
========
import{LocalLeaseStore,ensureStoreDir}from"./chunk-UPIO4MHL.mjs";import"./chunk-LFMA4WEA.mjs";import"./chunk-XJPYHW6P.mjs";import"./chunk-MNGRIDRE.mjs";import"./chunk-QTBIG56Y.mjs";import"./chunk-DLBHB7P5.mjs";export{LocalLeaseStore,ensureStoreDir};
>>>>>>>> h/dispatch:dist/chunks/local-store-FV6M4ZIK.mjs
