import{createRequire as __jitpCR}from'node:module';const require=__jitpCR(import.meta.url);
import{recordSubagent}from"./chunk-LFBKXL27.mjs";import"./chunk-GCWNNGY7.mjs";import"./chunk-JM6F4Z7W.mjs";import"./chunk-ERQIAFVP.mjs";import"./chunk-DLBHB7P5.mjs";var handler=(input,env)=>recordSubagent(input,env,"subagent-start");export{handler};
