import type { SmapsMapping } from '../kernel/procfs/smaps.js';

/** What kind of memory a mapping is, beyond its permissions. */
export type RegionKind = 'file' | 'anonymous' | 'heap' | 'stack' | 'shared-memory' | 'kernel';

/** The article's two halves: memory backed by a file, and memory that is not. */
export type Section = 'mapped' | 'anonymous';

const KERNEL_PSEUDO = new Set(['[vdso]', '[vvar]', '[vvar_vclock]', '[vsyscall]', '[uprobes]', '[sigpage]', '[vectors]']);

/**
 * Shared memory hides behind paths: a MAP_SHARED|MAP_ANONYMOUS region is
 * `/dev/zero (deleted)`, memfd_create() gives `/memfd:NAME (deleted)`, SysV
 * segments `/SYSV0000abcd (deleted)`, POSIX shm lives in /dev/shm. None of
 * them is a file on disk, so none is "mapped memory".
 */
export function regionKind(mapping: Pick<SmapsMapping, 'backing' | 'permissions'>): RegionKind {
  const { backing } = mapping;
  switch (backing.kind) {
    case 'anonymous':
      return mapping.permissions.shared ? 'shared-memory' : 'anonymous';
    case 'pseudo':
      if (backing.name === '[heap]') return 'heap';
      if (backing.name === '[stack]' || backing.name.startsWith('[stack:')) return 'stack';
      if (KERNEL_PSEUDO.has(backing.name)) return 'kernel';
      if (backing.name.startsWith('[anon_shmem:')) return 'shared-memory';
      return 'anonymous';
    case 'path': {
      const { path } = backing;
      if (path === '/dev/zero' && mapping.permissions.shared) return 'shared-memory';
      if (path.startsWith('/memfd:') || path.startsWith('/SYSV') || path.startsWith('/dev/shm/')) return 'shared-memory';
      // anon_inode:[...], /dmabuf: and other kernel objects are not files either.
      if (!path.startsWith('/') || path.startsWith('/dmabuf:')) return 'anonymous';
      return 'file';
    }
  }
}

export function sectionOf(kind: RegionKind): Section {
  return kind === 'file' ? 'mapped' : 'anonymous';
}

/** The name a mapping is listed under in `show --mappings`. */
export function backingName(mapping: SmapsMapping): string {
  const { backing } = mapping;
  switch (backing.kind) {
    case 'anonymous': return mapping.permissions.shared ? '[shared anonymous]' : '[anonymous]';
    case 'pseudo': return backing.name;
    case 'path': return backing.deleted ? `${backing.path} (deleted)` : backing.path;
  }
}
