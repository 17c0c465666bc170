import{createRequire as __jitpCR}from'node:module';const require=__jitpCR(import.meta.url);
import{storeDirOf}from"./chunk-ERQIAFVP.mjs";import{LocalLeaseStore}from"./chunk-QRXDQ2NK.mjs";function openLocalStore(repo,opts={}){return new LocalLeaseStore({storeDir:storeDirOf(repo),...opts})}export{openLocalStore};
