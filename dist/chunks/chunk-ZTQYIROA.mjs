import{createRequire as __jitpCR}from'node:module';const require=__jitpCR(import.meta.url);
var str=v=>typeof v=="string"?v:Array.isArray(v)?v[v.length-1]:void 0,list=v=>Array.isArray(v)?v.flatMap(splitList):typeof v=="string"?splitList(v):[],flag=v=>v===!0;function splitList(s){return s.split(/(?<!\\),|\s+/).map(x=>x.replace(/\\,/g,",")).filter(x=>x.length>0)}export{str,list,flag};
