import{createRequire as __jitpCR}from'node:module';const require=function(){return(globalThis.__jitpRequire??=__jitpCR(import.meta.url)).apply(this,arguments)};
import{failureModeOf,failureOutcome}from"./chunk-URCHH4OY.mjs";import"./chunk-GYQAJDU5.mjs";export{failureModeOf,failureOutcome};
