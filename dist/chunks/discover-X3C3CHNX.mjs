import{createRequire as __jitpCR}from'node:module';const require=__jitpCR(import.meta.url);
import{discoverRepo,mainRootOf,storeDirOf}from"./chunk-ERQIAFVP.mjs";import"./chunk-DLBHB7P5.mjs";export{discoverRepo,mainRootOf,storeDirOf};
