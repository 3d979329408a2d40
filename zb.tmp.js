const zlib=require('zlib');const states=JSON.parse(require('fs').readFileSync('/tmp/diag/states.json')).filter(s=>s.length>160);
const src=require('fs').readFileSync('/work/main/dist/adapters/redis/stateCodec.js','utf8');
const {encodeState,decodeState}=require('/work/main/dist/adapters/redis/stateCodec');
// extract dictionary via encode/inflate trick: not exported; rebuild from module text
const m=require('module');const dict=eval(src.match(/const DICTIONARY_V1 = (Buffer\.from\([\s\S]*?'utf8'\));/)[1]);
function bench(name,fn,n=20000){for(let i=0;i<2000;i++)fn(states[i%states.length]);const t=process.hrtime.bigint();let bytes=0;for(let i=0;i<n;i++)bytes+=fn(states[i%states.length]).length;console.log(name.padEnd(40),(Number(process.hrtime.bigint()-t)/n/1000).toFixed(2),'us',(bytes/n).toFixed(0),'bytes');}
for(const [wb,ml] of [[15,8],[15,9],[12,8],[11,8],[11,4],[11,2],[10,2],[9,1],[12,4]]){
 bench(`deflate wb${wb} ml${ml}`,s=>zlib.deflateRawSync(s,{dictionary:dict,level:1,windowBits:wb,memLevel:ml}));}
bench('encodeState',s=>encodeState(s));
const enc=states.map(s=>encodeState(s));let j=0;
bench('decodeState',()=>Buffer.from(decodeState(enc[j++%enc.length])));
const d11=states.map(s=>zlib.deflateRawSync(s,{dictionary:dict,level:1,windowBits:11,memLevel:4}));
for(let i=0;i<states.length;i++)if(zlib.inflateRawSync(d11[i],{dictionary:dict}).toString()!==states[i])throw new Error('mismatch');
j=0;bench('inflate wb15 of wb11',()=>zlib.inflateRawSync(d11[j++%d11.length],{dictionary:dict}));
j=0;bench('inflate wb11 of wb11',()=>zlib.inflateRawSync(d11[j++%d11.length],{dictionary:dict,windowBits:11}));
bench('JSON.stringify+parse baseline',s=>JSON.stringify(JSON.parse(s)));
