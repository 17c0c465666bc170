import{createRequire as __jitpCR}from'node:module';const require=function(){return(globalThis.__jitpRequire??=__jitpCR(import.meta.url)).apply(this,arguments)};
import{configFromText,loadConfig}from"../chunks/chunk-3F32XZ6S.mjs";import"../chunks/chunk-I5KEHVBQ.mjs";import"../chunks/chunk-4O5GEBIX.mjs";import"../chunks/chunk-GYQAJDU5.mjs";export{configFromText,loadConfig};
