"""Weight-only fake quantization of stories260K in transformers (every q/k/v/o and gate/up/down weight of
every layer, activations float32): the loss the model itself takes from each format's weight rounding,
independent of jquant. jquant's weight-only runs (quantize, dequantize, float32 forward) give the same
cosines to 6 digits, so the low figures of the 4-bit formats are the tiny model's sensitivity, not a kernel
error. Run: python3 fake_quant.py > fake_quant.txt (transformers, torch). The MX scales use RCEIL."""
import json, os, torch
from transformers import LlamaForCausalLM
# The model is the test data of the samples module: src/test/data/stories260K, five levels above this folder.
d=os.path.join(os.path.dirname(os.path.abspath(__file__)), *(['..']*5), 'data', 'stories260K')
ref=json.load(open(d+'/reference.json'))
m=LlamaForCausalLM.from_pretrained(d, torch_dtype=torch.float32, attn_implementation='eager').eval()
sd={k:v.clone() for k,v in m.state_dict().items()}
def run(name, fq):
    m.load_state_dict(sd)
    with torch.no_grad():
        for n,p in m.named_parameters():
            if p.dim()==2 and 'proj' in n:
                p.copy_(fq(p))
        ids=torch.tensor([ref['logits_prompt']['prompt_ids']])
        lg=m(ids).logits[0]
        last=lg[-1]; r=torch.tensor(ref['logits_prompt']['last_position_logits'])
        cos=torch.nn.functional.cosine_similarity(last,r,dim=0).item()
        top1=(lg.argmax(-1)==torch.tensor(ref['logits_prompt']['argmax_per_position'])).sum().item()
        print(name, 'cos %.6f top1 %d maxabs %.3f'%(cos, top1, (last-r).abs().max().item()))
def fp8row(w):
    s=w.abs().amax(1,keepdim=True)/448
    return (w/s).to(torch.float8_e4m3fn).float()*s
def int8row(w):
    s=w.abs().amax(1,keepdim=True)/127
    return torch.round(w/s).clamp(-127,127)*s
run('none', lambda w:w)
run('fp8row', fp8row)
run('int8row', int8row)
E2M1=torch.tensor([0,0.5,1,1.5,2,3,4,6.0])
def e2m1(x):
    a=x.abs().clamp(max=6)
    # nearest, ties to even code
    d=(a.unsqueeze(-1)-E2M1).abs()
    idx=d.argmin(-1)
    # tie handling: prefer even index
    mn=d.min(-1,keepdim=True).values
    ties=(d==mn)
    even=torch.arange(8)%2==0
    idx=torch.where(ties.sum(-1)>1, (ties & even).float().argmax(-1), idx)
    return E2M1[idx]*x.sign()
def nvfp4(w):
    n,k=w.shape; kp=(k+15)//16*16
    wp=torch.zeros(n,kp); wp[:,:k]=w
    gs=wp.abs().max()/(448*6)
    b=wp.view(n,-1,16)
    bs=(b.abs().amax(-1,keepdim=True)/6/gs).to(torch.float8_e4m3fn).float()
    s=bs*gs
    q=torch.where(s>0, e2m1(b/torch.where(s>0,s,1))*s, torch.zeros_like(b))
    return q.view(n,kp)[:,:k]
def mx(w, elem):
    n,k=w.shape; kp=(k+31)//32*32
    wp=torch.zeros(n,kp); wp[:,:k]=w
    b=wp.view(n,-1,32)
    amax=b.abs().amax(-1,keepdim=True)
    emax = 2 if elem=='fp4' else 8
    maxv = 6.0 if elem=='fp4' else 448.0
    # RCEIL: scale = 2^ceil(log2(amax/maxv))
    e=torch.ceil(torch.log2(torch.where(amax>0,amax/maxv,torch.ones_like(amax))))
    s=torch.pow(2.0,e)
    x=b/s
    q = e2m1(x) if elem=='fp4' else x.to(torch.float8_e4m3fn).float()
    return (q*s).view(n,kp)[:,:k]
run('nvfp4 all', nvfp4)
run('mxfp4 all', lambda w: mx(w,'fp4'))
run('mxfp8 all', lambda w: mx(w,'fp8'))
