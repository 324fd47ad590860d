import { ManualClock } from '../clock';
import { ResourceStore } from './ResourceStore';

const stage = (namespace: string, name: string, labels = {}) => ({
  metadata: { namespace, name, labels },
  spec: {},
});

describe('ResourceStore', () => {
  it('scans a kind in creation order across namespaces, and one namespace alone', () => {
    const store = new ResourceStore(new ManualClock());
    store.create('Stage', stage('b', 'x'));
    store.create('Freight', { metadata: { namespace: 'a', name: 'f' } });
    store.create('Stage', stage('a', 'y'));
    store.create('Stage', stage('b', 'a'));
    store.update('Stage', 'b', 'x', s => {
      s.status = { phase: 'updated' };
    });
    const names = (objects: readonly { metadata?: { name?: string } }[]) =>
      objects.map(o => o.metadata!.name);
    expect(names(store.scan('Stage'))).toEqual(['x', 'y', 'a']);
    expect(names(store.scan('Stage', 'b'))).toEqual(['x', 'a']);
    expect(names(store.list('Stage', 'b'))).toEqual(['a', 'x']);
    store.delete('Stage', 'b', 'x');
    store.create('Stage', stage('b', 'x'));
    expect(names(store.scan('Stage'))).toEqual(['y', 'a', 'x']);
    expect(store.get('Stage', 'a', 'x')).toBeUndefined();
  });

  it('keeps a field index through create, update and delete', () => {
    const store = new ResourceStore(new ManualClock());
    store.create('Stage', stage('a', 'before', { team: 'red' }));
    store.addIndex('byTeam', 'Stage', o => o.metadata?.labels?.team);
    store.create('Stage', stage('a', 'one', { team: 'red' }));
    store.create('Stage', stage('b', 'two', { team: 'red' }));
    const red = (ns: string) => [...store.indexedNames('byTeam', ns, 'red')];
    expect(red('a')).toEqual(['before', 'one']);
    expect(red('b')).toEqual(['two']);
    store.update('Stage', 'a', 'one', s => {
      s.metadata!.labels = { team: 'blue' };
    });
    expect(red('a')).toEqual(['before']);
    expect([...store.indexedNames('byTeam', 'a', 'blue')]).toEqual(['one']);
    store.delete('Stage', 'a', 'before');
    expect(red('a')).toEqual([]);
  });
});
