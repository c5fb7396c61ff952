"""Cuts the CloudFormation resource specification down to what the given templates use.

usage: subset.py <specification.json> <template.yaml>... > resource-specification-subset.json
"""
import json
import re
import sys

spec = json.load(open(sys.argv[1]))
# SAM properties newer than the specification (sam-overlay.json says where each is documented).
overlay = json.load(open(__file__.rsplit('/', 1)[0] + '/sam-overlay.json'))
for section in ('ResourceTypes', 'PropertyTypes'):
    for name, body in overlay[section].items():
        target = spec[section].setdefault(name, {'Properties': {}})
        target.setdefault('Properties', {}).update(body['Properties'])
types = set()
for template in sys.argv[2:]:
    for m in re.finditer(r'^\s+Type: (AWS::[A-Za-z0-9]+::[A-Za-z0-9]+)\s*$', open(template).read(), re.M):
        types.add(m.group(1))


def strip(d):
    return {k: v for k, v in d.items() if k not in ('Documentation', 'UpdateType', 'DuplicatesAllowed')}


def props(d):
    return {k: strip(v) for k, v in d.get('Properties', {}).items()}


out = {'ResourceSpecificationVersion': spec['ResourceSpecificationVersion'], 'ResourceTypes': {}, 'PropertyTypes': {}}
queue = []
for t in sorted(types):
    r = spec['ResourceTypes'][t]
    out['ResourceTypes'][t] = {'Properties': props(r), 'Attributes': sorted(r.get('Attributes', {}).keys())}
    queue.append((t, r.get('Properties', {})))
for k, v in spec['PropertyTypes'].items():
    if k.startswith('AWS::Serverless::Function.') and k.endswith('Event'):
        out['PropertyTypes'][k] = {'Properties': props(v)}
        queue.append((k, v.get('Properties', {})))
seen = set()
while queue:
    owner, properties = queue.pop()
    for p in properties.values():
        for key in ('Type', 'ItemType'):
            name = p.get(key)
            if not name or name in ('List', 'Map'):
                continue
            ref = owner.split('.')[0] + '.' + name
            if ref in seen or ref not in spec['PropertyTypes']:
                continue
            seen.add(ref)
            pt = spec['PropertyTypes'][ref]
            out['PropertyTypes'][ref] = {'Properties': props(pt)} if 'Properties' in pt else strip(pt)
            queue.append((ref, pt.get('Properties', {})))
json.dump(out, sys.stdout, indent=1, sort_keys=True)
