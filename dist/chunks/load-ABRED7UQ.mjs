import{createRequire as __jitpCR}from'node:module';const require=function(){return(globalThis.__jitpRequire??=__jitpCR(import.meta.url)).apply(this,arguments)};
import{loadConfig}from"./chunk-CTQ32DU7.mjs";import"./chunk-I5KEHVBQ.mjs";import"./chunk-4O5GEBIX.mjs";import"./chunk-GYQAJDU5.mjs";export{loadConfig};
