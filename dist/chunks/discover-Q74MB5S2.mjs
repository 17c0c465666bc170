import{createRequire as __jitpCR}from'node:module';const require=function(){return(globalThis.__jitpRequire??=__jitpCR(import.meta.url)).apply(this,arguments)};
import{discoverRepo,mainRootOf,storeDirOf}from"./chunk-YAI2CAY2.mjs";import"./chunk-GYQAJDU5.mjs";export{discoverRepo,mainRootOf,storeDirOf};
