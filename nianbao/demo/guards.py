"""What a crawler meets in front of blocked portals: a WAF's HTTP 412 JS challenge, a CDN's 521
cookie challenge, or a server that accepts the connection and never answers."""

from __future__ import annotations

import hashlib

from nianbao.demo.web import Request, Response

CLEARANCE_COOKIE = "__jsl_clearance_s"


def waf_challenge(request: Request) -> Response:
    """HTTP 412 with an obfuscated inline script that would compute a cookie and reload."""
    token = hashlib.md5(request.target.encode()).hexdigest()
    page = f"""<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta http-equiv="Cache-Control" content="no-cache, no-store, must-revalidate">
<script type="text/javascript">var _$w=window,_$c='{token}';(function(){{var a=[],i;for(i=0;i<_$c.length;i+=2)
a.push(parseInt(_$c.substr(i,2),16)^0x5a);_$w._$t=a.join('.');}})();</script>
<script type="text/javascript" r="m">(function(){{document.cookie='waf_ts='+_$w._$t+'; path=/';
setTimeout(function(){{location.reload();}},50);}})();</script>
</head><body></body></html>"""
    return Response(412, page.encode(), "text/html; charset=utf-8",
                    {"Set-Cookie": f"waf_sid={token[:16]}; Path=/; HttpOnly", "Server": "WAF"})


def clearance_value(target: str) -> str:
    return hashlib.sha1(("yunxi:" + target.split("?")[0]).encode()).hexdigest()[:24]


def cookie_challenge(request: Request) -> Response | None:
    """HTTP 521 unless the request carries the cookie the challenge script would have set."""
    expected = clearance_value(request.target)
    if request.cookies.get(CLEARANCE_COOKIE) == expected:
        return None
    halves = expected[:12], expected[12:]
    script = (f"<script>document.cookie=('{CLEARANCE_COOKIE}')+'='+('{halves[0]}')+('{halves[1]}')"
              "+';max-age=3600;path=/';location.href=location.pathname+location.search</script>")
    return Response(521, script.encode(), "text/html; charset=utf-8",
                    {"Set-Cookie": f"__jsluid_s={expected[:16]}; max-age=31536000; path=/; HttpOnly"})


def hang() -> Response:
    return Response(0, hang=True)
