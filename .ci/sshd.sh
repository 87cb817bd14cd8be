#!/usr/bin/env bash
# Start an sshd on 127.0.0.1:2222 for the end-to-end test over real SSH (tests/ssh_e2e.rs):
# the users spets-a and spets-b (members of the group spets) log in with a test key.
# Idempotent: a running test sshd is left alone.
set -euo pipefail
dir=/tmp/spets-sshd
mkdir -p "$dir"
chmod 755 "$dir"
[ -f "$dir/host_key" ] || ssh-keygen -q -t ed25519 -N '' -f "$dir/host_key"
[ -f "$dir/client_key" ] || ssh-keygen -q -t ed25519 -N '' -f "$dir/client_key"
for u in spets-a spets-b; do
  # A new account without a password is "locked" ('!'), and sshd without PAM refuses locked
  # accounts even for key logins: '*' means "no password, not locked".
  usermod -p '*' "$u"
  home=$(getent passwd "$u" | cut -d: -f6)
  install -d -m 700 -o "$u" -g "$u" "$home/.ssh"
  install -m 600 -o "$u" -g "$u" "$dir/client_key.pub" "$home/.ssh/authorized_keys"
done
cat > "$dir/sshd_config" <<CONF
Port 2222
ListenAddress 127.0.0.1
HostKey $dir/host_key
PidFile $dir/sshd.pid
AuthorizedKeysFile .ssh/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
PermitRootLogin no
AllowUsers spets-a spets-b
AcceptEnv LANG LC_*
StrictModes yes
CONF
mkdir -p /run/sshd
if [ -f "$dir/sshd.pid" ] && kill -0 "$(cat "$dir/sshd.pid")" 2>/dev/null; then
  echo "test sshd already running"
else
  /usr/sbin/sshd -f "$dir/sshd_config"
  echo "test sshd started on 127.0.0.1:2222"
fi
