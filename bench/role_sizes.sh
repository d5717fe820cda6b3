#!/usr/bin/env bash
# Each role's install in a fresh virtual environment: install time (wall) and size on disk (du).
# Usage, from the repo root: bench/role_sizes.sh floor student instructor book test bench
# "floor" is JupyterLab + nbgrader + NumPy + Matplotlib alone. pip's cache is pip's usual one (say whether it
# was warm when you report the times); the environments go to $ROLE_ENVS (default: a temporary folder).
set -u
python=${PYTHON:-python3}
envs=${ROLE_ENVS:-$(mktemp -d)}
for role in "$@"; do
  env="$envs/$role"
  rm -rf "$env" && "$python" -m venv "$env"
  if [ "$role" = floor ]; then packages=(jupyterlab nbgrader numpy matplotlib); else packages=(-e ".[$role]"); fi
  start=$(date +%s)
  "$env/bin/pip" install -q "${packages[@]}" > "$env/install.log" 2>&1
  status=$?
  seconds=$(( $(date +%s) - start ))
  site=$(echo "$env"/lib/python3.*/site-packages)
  heavy=$(cd "$site" && ls -d torch sklearn scipy 2>/dev/null | tr '\n' ' ')
  echo "$role: exit $status, $seconds s, $(du -sm "$env" | cut -f1) MB, heavy packages: ${heavy:-none}"
done
