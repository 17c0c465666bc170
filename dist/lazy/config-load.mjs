import{createRequire as __jitpCR}from'node:module';const require=function(){return(globalThis.__jitpRequire??=__jitpCR(import.meta.url)).apply(this,arguments)};
import{loadConfig}from"../chunks/chunk-CTQ32DU7.mjs";import"../chunks/chunk-I5KEHVBQ.mjs";import"../chunks/chunk-4O5GEBIX.mjs";import"../chunks/chunk-GYQAJDU5.mjs";export{loadConfig};
