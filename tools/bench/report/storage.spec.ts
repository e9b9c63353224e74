import { isLocalServer, mountOf } from './storage';

const MOUNTS = [
  'overlay / overlay rw,relatime,lowerdir=/l,upperdir=/u,workdir=/w 0 0',
  'proc /proc proc rw,relatime 0 0',
  'tmpfs /tmp tmpfs rw,nosuid,nodev 0 0',
  '/dev/vda /var/lib/postgresql ext4 rw,relatime 0 0',
  '/dev/vdb /mnt/fast\\040disk xfs rw,relatime 0 0',
  'tmpfs /var/lib/postgresql/15/main/pg_stat_tmp tmpfs rw 0 0',
].join('\n');

describe('mountOf (where a data directory lives)', () => {
  it("given a directory under a mount of its own, when looked up, then it is on that mount and its filesystem, not the root's", () => {
    expect(mountOf('/var/lib/postgresql/15/main', MOUNTS)).toEqual({
      mountPoint: '/var/lib/postgresql',
      filesystem: 'ext4',
      device: '/dev/vda',
    });
  });

  it('given a directory on no mount of its own, when looked up, then it is on the root mount', () => {
    expect(mountOf('/home/bench/data', MOUNTS)).toMatchObject({ mountPoint: '/', filesystem: 'overlay' });
  });

  it('given the temporary directory on tmpfs, when looked up, then it says tmpfs (a run there never touches a disk)', () => {
    expect(mountOf('/tmp/stockade-bench-x', MOUNTS)).toMatchObject({ mountPoint: '/tmp', filesystem: 'tmpfs' });
  });

  it('given a mount point with a space (written \\040 in /proc/mounts), when looked up, then it still matches', () => {
    expect(mountOf('/mnt/fast disk/pg', MOUNTS)).toMatchObject({ mountPoint: '/mnt/fast disk', filesystem: 'xfs' });
  });

  it('given a path that only shares a prefix with a mount point, when looked up, then that mount does not count', () => {
    expect(mountOf('/tmpdata/x', MOUNTS)).toMatchObject({ mountPoint: '/', filesystem: 'overlay' });
  });
});

describe('isLocalServer', () => {
  it('given loopback and remote URLs, when asked, then only the loopback ones are local', () => {
    expect(isLocalServer('postgres://postgres@127.0.0.1:5432/test')).toBe(true);
    expect(isLocalServer('postgres://postgres@localhost/test')).toBe(true);
    expect(isLocalServer('postgres://postgres@db.internal:5432/test')).toBe(false);
  });
});
