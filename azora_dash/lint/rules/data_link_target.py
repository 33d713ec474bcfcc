from __future__ import annotations

import re

from ..base import Rule
from ..context import DashboardContext
from ..model import Problem, Severity

# Grafana's dashboard URL: /d/<uid>[/<slug>][?query] (pkg/api/dtos: the /d/:uid route).
_DASHBOARD_URL = re.compile(r"^/d/(?P<uid>[^/?#]+)(?:/[^?#]*)?(?:\?(?P<query>[^#]*))?")
_VAR_PARAM = re.compile(r"(?:^|&)var-(?P<name>[^=&]+)=")


def data_links(panel: dict) -> list[tuple[int, dict]]:
    links = ((panel.get("fieldConfig") or {}).get("defaults") or {}).get("links") or []
    return [(i, link) for i, link in enumerate(links) if isinstance(link, dict)]


class DataLinkTarget(Rule):
    """Every data link to a dashboard targets a dashboard we build and variables it defines.

    **Why**: a drill-down link is only checked when someone clicks it during an
    incident. A renamed uid or variable makes it open an empty "dashboard not
    found" page, or silently ignore the clicked series' label.

    **Bad**:

        {"title": "Host", "url": "/d/azora-hosts?var-host=${__field.labels.instance}"}

    **Good**:

        {"title": "Host", "url": "/d/azora-system-overview?${__url_time_range}&var-instance=${__field.labels.instance}"}

    Links to other sites (runbooks) are not checked.
    """

    id = "data-link/target"
    group = "house"
    severity = Severity.ERROR

    def check_all(self, contexts: list[DashboardContext]) -> list[Problem]:
        variables = {c.uid: {v.get("name") for v in c.variables} for c in contexts}
        found = []
        for ctx in contexts:
            for panel in ctx.panels:
                for i, link in data_links(panel.panel):
                    match = _DASHBOARD_URL.match(str(link.get("url") or ""))
                    if not match:
                        continue
                    path = f"{panel.path}/fieldConfig/defaults/links/{i}/url"
                    uid, query = match["uid"], match["query"] or ""
                    if uid not in variables:
                        found.append(
                            self.problem(ctx, f"data link to unknown dashboard {uid!r}", panel=panel, path=path)
                        )
                        continue
                    for name in _VAR_PARAM.findall(query):
                        if name not in variables[uid]:
                            found.append(
                                self.problem(
                                    ctx,
                                    f"data link sets var-{name}, which {uid} does not define",
                                    panel=panel,
                                    path=path,
                                )
                            )
        return found
