"""Hanweb (大汉) jpage columns: the first records sit in an XML datastore inside the page; the rest
come only from POST /module/web/jpage/dataproxy.jsp, which answers an XML recordset."""

from __future__ import annotations

from html import escape
from urllib.parse import urlencode

from nianbao.demo.catalog import Column
from nianbao.demo.detail import SiteContext
from nianbao.demo.web import Request, Response

DATAPROXY = "/module/web/jpage/dataproxy.jsp"
GROUP_PAGES = 3  # pages whose records are embedded in the column page
FORM_FIELDS = ("col", "appid", "webid", "columnid", "unitid", "webname", "permissiontype")


def _records(ctx: SiteContext, column: Column) -> list[str]:
    records = []
    for item, placement in ctx.catalog.items_in(column.key, ctx.day):  # type: ignore[arg-type]
        day = placement.declared.strftime("%Y-%m-%d") if placement.declared else ""
        records.append(
            f'<record><![CDATA[\n<li><a href="{escape(placement.path)}" target="_blank" '
            f'title="{escape(item.title)}">{escape(item.title)}</a><span>{day}</span></li>\n]]></record>'
        )
    return records


def _nextgroup(column: Column) -> str:
    p = column.params
    query = urlencode({"page": 1, "appid": p["appid"], "webid": p["webid"], "path": "/",
                       "columnid": p["columnid"], "unitid": p["unitid"], "webname": p["webname"],
                       "permissiontype": p["permissiontype"]})
    return f'<nextgroup><![CDATA[<a href="{DATAPROXY}?{escape(query)}"></a>]]></nextgroup>'


def column_page(ctx: SiteContext, column: Column, crumbs: list[tuple[str, str]]) -> Response:
    records = _records(ctx, column)
    p = column.params
    embedded = records[: column.per_page * GROUP_PAGES]
    body = f"""<div class="column"><h2>{escape(column.name)}</h2>
<div id="{p['unitid']}"><script type="text/xml"><datastore>
{_nextgroup(column)}
<recordset>
{chr(10).join(embedded)}
</recordset>
</datastore>
</script></div>
<script language="javascript" src="/module/jslib/jquery/jquery.js"></script>
<script language="javascript" src="/module/web/jpage/jpage.js"></script>
<script language="javascript">
new jpage({{objId: '{p['unitid']}', totalRecord: {len(records)}, perPage: {column.per_page}, groupSize: {GROUP_PAGES},
  proxyUrl: '{DATAPROXY}', params: {{col: 1, appid: {p['appid']}, webid: {p['webid']}, path: '/',
  columnid: {p['columnid']}, sourceContentType: 1, unitid: '{p['unitid']}', webname: '{escape(p['webname'])}',
  permissiontype: {p['permissiontype']}}}}});
</script></div>"""
    return ctx.page(column.name, body, crumbs=crumbs)


def dataproxy(ctx: SiteContext, request: Request) -> Response:
    """Records startrecord..endrecord (1-based, inclusive) of the column named by the form."""
    if request.method != "POST":
        return Response(405, b"method not allowed", "text/plain; charset=utf-8", {"Allow": "POST"})
    form, query = request.form, request.query
    missing = [f for f in FORM_FIELDS if f not in form]
    if missing:
        return Response(400, f"missing form fields: {', '.join(missing)}".encode(), "text/plain; charset=utf-8")
    column = next((c for c in ctx.catalog.columns_of(ctx.portal.key)
                   if str(c.params.get("columnid")) == form["columnid"]
                   and str(c.params.get("unitid")) == form["unitid"]), None)
    try:
        start = int(query.get("startrecord", "1"))
        end = int(query.get("endrecord", str(start + GROUP_PAGES * 15 - 1)))
    except ValueError:
        return Response(400, b"bad record range", "text/plain; charset=utf-8")
    records = _records(ctx, column) if column is not None else []
    chosen = records[max(start, 1) - 1:max(end, 0)]
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n<datastore>\n'
           f"<totalrecord>{len(records)}</totalrecord>\n<recordset>\n" + "\n".join(chosen)
           + "\n</recordset>\n</datastore>\n")
    return Response(200, xml.encode("utf-8"), "text/xml; charset=UTF-8")
