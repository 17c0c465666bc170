import{createRequire as __jitpCR}from'node:module';const require=function(){return(globalThis.__jitpRequire??=__jitpCR(import.meta.url)).apply(this,arguments)};
import{configFromText,loadConfig}from"../chunks/chunk-NSTTDIP2.mjs";import"../chunks/chunk-VIYSM55J.mjs";import"../chunks/chunk-7HG4VVUO.mjs";import"../chunks/chunk-GYQAJDU5.mjs";export{configFromText,loadConfig};
