import{createRequire as __jitpCR}from'node:module';const require=function(){return(globalThis.__jitpRequire??=__jitpCR(import.meta.url)).apply(this,arguments)};
import{decideRemoval}from"./chunk-ET4SJNAL.mjs";import"./chunk-GYQAJDU5.mjs";export{decideRemoval};
