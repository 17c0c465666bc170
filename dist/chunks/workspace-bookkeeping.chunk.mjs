import{createRequire as __jitpCR}from'node:module';const require=function(){return(globalThis.__jitpRequire??=__jitpCR(import.meta.url)).apply(this,arguments)};
var BOOKKEEPING_GLOBS=[".jit/**",".jit-parallel/reports/**",".jit-parallel/batches/**",".jit-parallel/batch.yaml"];export{BOOKKEEPING_GLOBS};
