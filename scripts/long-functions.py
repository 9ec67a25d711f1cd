import re,sys,pathlib
# The longest functions under a folder (issue 20: none in engine/ over 100 lines but the
# interpreter's operator dispatch). Usage: python3 scripts/long-functions.py engine [N]
# functions whose body starts at column 0 '{'-ending line and ends at a column-0 '}'
res=[]
for p in pathlib.Path(sys.argv[1]).rglob('*'):
    if p.suffix not in ('.cpp','.hpp'): continue
    L=p.read_text().split('\n')
    i=0
    while i<len(L):
        l=L[i]
        if l and not l[0].isspace() and l.rstrip().endswith('{') and '(' in l and not l.startswith(('namespace','struct','class','enum','extern')) and not re.match(r'^(static )?(const )?\w[\w:<>, ]* \w+ = ',l):
            j=i+1
            while j<len(L) and not L[j].startswith('}'): j+=1
            res.append((j-i+1,f'{p}:{i+1}',l.strip()[:90])); i=j
        i+=1
for r in sorted(res,reverse=True)[:int(sys.argv[2]) if len(sys.argv)>2 else 15]: print(*r,sep='  ')
