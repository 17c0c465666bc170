import{createRequire as __jitpCR}from'node:module';const require=__jitpCR(import.meta.url);
import{recordSubagent}from"./chunk-RTQR3KRD.mjs";import"./chunk-IN5HIMAQ.mjs";import"./chunk-DMD2IKF5.mjs";import"./chunk-ERQIAFVP.mjs";import"./chunk-MNGRIDRE.mjs";import"./chunk-QTBIG56Y.mjs";import"./chunk-DLBHB7P5.mjs";var handler=(input,env)=>recordSubagent(input,env,"subagent-start");export{handler};
