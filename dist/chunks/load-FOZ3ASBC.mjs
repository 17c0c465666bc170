import{createRequire as __jitpCR}from'node:module';const require=function(){return(globalThis.__jitpRequire??=__jitpCR(import.meta.url)).apply(this,arguments)};
import{loadConfig}from"./chunk-HKIVGAEY.mjs";import"./chunk-VIYSM55J.mjs";import"./chunk-4O5GEBIX.mjs";import"./chunk-GYQAJDU5.mjs";export{loadConfig};
