"""``claimbank publish VERSION --repo-id OWNER/NAME``: a release folder to the Hugging Face Hub.

The release is verified first. The repository's current files are listed, and one commit makes
the repository hold exactly the release: it adds every file of the folder (the card, the Parquet
files, the label sets, croissant.json, the datasheet, the licence, SHA256SUMS) and deletes every
file the release does not have (shards an earlier release named differently, a table since
removed), so that the card's ``data/<table>/*.parquet`` globs read this release's files only.
Only ``.gitattributes``, which the Hub keeps for its own storage rules, stays. The commit is
tagged ``vVERSION``. ``--dry-run`` lists the repository (a read), prints exactly that plan,
deletions included, and sends nothing.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path

from .extras import require
from .files import sha256_file
from .folders import SUMS, VersionError, parse_version, read_sums, release_files
from .verify import verify_folder

_REPO_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*$")
KEEP = frozenset({".gitattributes"})  # the Hub's own file: never deleted


class PublishError(Exception):
    """Nothing was published."""


@dataclass(frozen=True)
class Plan:
    folder: Path
    repo_id: str
    version: str
    files: tuple[tuple[str, int, str], ...]  # (path in the repository, size, sha256): added or replaced
    deletions: tuple[str, ...] = ()  # paths in the repository that the release does not have

    repo_type = "dataset"

    @property
    def tag(self) -> str:
        return f"v{self.version}"

    @property
    def commit_message(self) -> str:
        return f"ClaimBank {self.version}"

    def against(self, current: list[str] | tuple[str, ...]) -> "Plan":
        """This plan for a repository that holds ``current``: every file the release does not have is deleted."""
        names = {path for path, _, _ in self.files}
        deletions = tuple(sorted(p for p in set(current) if p not in names and p not in KEEP))
        return dataclasses.replace(self, deletions=deletions)

    def after(self, current: list[str] | tuple[str, ...]) -> list[str]:
        """The repository's files once the commit is applied to a repository holding ``current``."""
        return sorted((set(current) - set(self.deletions)) | {path for path, _, _ in self.files})

    def describe(self) -> str:
        total = sum(size for _, size, _ in self.files)
        lines = [
            f"repository: {self.repo_id} (type {self.repo_type}, created if missing)",
            f"commit: {self.commit_message!r} on main, adding {len(self.files)} files ({total} bytes):",
        ]
        lines += [f"  {sha}  {size:>10}  {path}" for path, size, sha in self.files]
        if self.deletions:
            lines.append(f"  and deleting {len(self.deletions)} files the release does not have:")
            lines += [f"  delete  {path}" for path in self.deletions]
        else:
            lines.append("  and deleting nothing: the repository holds no file the release does not have")
        lines.append(f"tag: {self.tag} on that commit")
        return "\n".join(lines)


def hub_files(repo_id: str, token: str | None = None) -> list[str]:
    """The files of the dataset repository ``repo_id`` on the Hub; [] when it does not exist yet."""
    from huggingface_hub import HfApi
    from huggingface_hub.errors import RepositoryNotFoundError

    try:
        return sorted(HfApi(token=token).list_repo_files(repo_id, repo_type="dataset"))
    except RepositoryNotFoundError:
        return []
    except Exception as exc:
        raise PublishError(f"cannot list the files of {repo_id} on the Hub ({type(exc).__name__}: {exc}): the plan deletes "
                           "the files the release does not have, so it needs them. Check the network and the token "
                           "(HF_TOKEN or --token); nothing was sent") from exc


def plan(folder: Path, repo_id: str, current: list[str] | tuple[str, ...] = ()) -> Plan:
    """What publishing ``folder`` to ``repo_id`` sends, for a repository that holds ``current``; the folder must verify."""
    folder = Path(folder)
    if not _REPO_ID.match(repo_id):
        raise PublishError(f"repo id {repo_id!r} is not OWNER/NAME (letters, digits, '-', '_', '.'). Fix: pass e.g. --repo-id my-org/claimbank")
    version = folder.name
    try:
        parse_version(version)
    except VersionError as exc:
        raise PublishError(str(exc)) from None
    if not folder.is_dir():
        raise PublishError(f"release folder {folder} not found. Fix: cut it with `claimbank release {version}`")
    problems = verify_folder(folder)
    if problems:
        raise PublishError(f"{folder} does not verify, nothing was sent:\n" + "\n".join(f"  - {p}" for p in problems))
    sums, _ = read_sums(folder / SUMS)
    files = [(rel, (folder / rel).stat().st_size, sums[rel]) for rel in release_files(folder)]
    files.append((SUMS, (folder / SUMS).stat().st_size, sha256_file(folder / SUMS)))
    return Plan(folder, repo_id, version, tuple(sorted(files))).against(current)


def upload(p: Plan, token: str | None = None) -> str:
    """Send the plan to the Hub; return the commit URL."""
    require("hf", "claimbank publish")
    from huggingface_hub import CommitOperationAdd, CommitOperationDelete, HfApi

    api = HfApi(token=token)
    operations = [CommitOperationAdd(path_in_repo=path, path_or_fileobj=str(p.folder / path)) for path, _, _ in p.files]
    operations += [CommitOperationDelete(path_in_repo=path) for path in p.deletions]
    try:
        api.create_repo(p.repo_id, repo_type=p.repo_type, exist_ok=True)
        info = api.create_commit(p.repo_id, operations, commit_message=p.commit_message, repo_type=p.repo_type)
        api.create_tag(p.repo_id, tag=p.tag, revision=info.oid, repo_type=p.repo_type,
                       tag_message=p.commit_message)
    except Exception as exc:
        raise PublishError(f"the Hub could not be reached or refused the upload ({type(exc).__name__}: {exc}). "
                           f"Check the network and the token (HF_TOKEN or --token); the release folder is unchanged") from exc
    return info.commit_url
