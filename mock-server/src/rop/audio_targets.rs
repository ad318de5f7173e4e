//! Which hosts the mock ROP fetches `audio_url` from (config `rop.audio_url_allow`).
//!
//! Public addresses are always fetched. Loopback, private (RFC 1918, `fc00::/7`), link-local
//! (`169.254/16`, `fe80::/10`) and other special addresses are refused unless listed:
//! `"loopback"` (the default: the mock is fed from local file servers), `"private"`,
//! `"link-local"`, `"any"`, or a network in CIDR form (`10.1.0.0/16`). Names are checked after
//! resolution, by a resolver that drops refused addresses, so a name cannot rebind to a refused
//! address between check and connect. A refusal reads like any other failed fetch: the answer
//! never tells a closed port from an open one or a refused host.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// One allowed class or network.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Allowed {
    Loopback,
    Private,
    LinkLocal,
    Any,
    Net(IpAddr, u8),
}

/// The parsed allow-list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct AudioTargets(Vec<Allowed>);

impl AudioTargets {
    /// Parses `rop.audio_url_allow`; the error names the bad entry (`rop.audio_url_allow[1]`).
    pub(crate) fn parse(entries: &[String]) -> Result<Self, String> {
        let mut out = Vec::new();
        for (i, e) in entries.iter().enumerate() {
            let bad = |why: &str| format!("rop.audio_url_allow[{i}]: {e:?} {why}");
            out.push(match e.trim().to_ascii_lowercase().as_str() {
                "loopback" => Allowed::Loopback,
                "private" => Allowed::Private,
                "link-local" => Allowed::LinkLocal,
                "any" => Allowed::Any,
                net => {
                    let (ip, len) = net.split_once('/').ok_or_else(|| {
                        bad("is none of loopback, private, link-local, any or a CIDR network")
                    })?;
                    let ip: IpAddr = ip.parse().map_err(|_| bad("has no valid IP address"))?;
                    let max = if ip.is_ipv4() { 32 } else { 128 };
                    let len: u8 = len
                        .parse()
                        .ok()
                        .filter(|l| *l <= max)
                        .ok_or_else(|| bad("has no valid prefix length"))?;
                    Allowed::Net(ip, len)
                }
            });
        }
        Ok(Self(out))
    }

    /// Whether `audio_url` may be fetched from `ip`.
    pub(crate) fn allows(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            v4 => v4,
        };
        let class = classify(ip);
        class == Class::Public
            || self.0.iter().any(|a| match a {
                Allowed::Any => true,
                Allowed::Loopback => class == Class::Loopback,
                Allowed::Private => class == Class::Private,
                Allowed::LinkLocal => class == Class::LinkLocal,
                Allowed::Net(net, len) => in_net(ip, *net, *len),
            })
    }

    /// A DNS resolver for `reqwest` that keeps only allowed addresses.
    pub(crate) fn resolver(self) -> Arc<Filtering> {
        Arc::new(Filtering(Arc::new(self)))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Public,
    Loopback,
    Private,
    LinkLocal,
    Special,
}

fn classify(ip: IpAddr) -> Class {
    match ip {
        IpAddr::V4(v4) if v4.is_loopback() => Class::Loopback,
        IpAddr::V4(v4) if v4.is_private() => Class::Private,
        IpAddr::V4(v4) if v4.is_link_local() => Class::LinkLocal,
        IpAddr::V4(v4)
            if v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.octets()[0] == 0
                || (v4.octets()[0] == 100 && (v4.octets()[1] & 0xc0) == 64) =>
        {
            Class::Special
        }
        IpAddr::V6(v6) if v6.is_loopback() => Class::Loopback,
        IpAddr::V6(v6) if (v6.segments()[0] & 0xfe00) == 0xfc00 => Class::Private,
        IpAddr::V6(v6) if (v6.segments()[0] & 0xffc0) == 0xfe80 => Class::LinkLocal,
        IpAddr::V6(v6) if v6.is_unspecified() || v6.is_multicast() => Class::Special,
        _ => Class::Public,
    }
}

fn in_net(ip: IpAddr, net: IpAddr, len: u8) -> bool {
    match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(len)).unwrap_or(0);
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(len)).unwrap_or(0);
            u128::from(a) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}

/// Whether the host of `url` is an IP literal that the list refuses (names are filtered at
/// resolution, see [`Filtering`]).
pub(crate) fn refuses_literal(targets: &AudioTargets, url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => !targets.allows(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => !targets.allows(IpAddr::V6(ip)),
        Some(url::Host::Domain(_)) => false,
        None => true,
    }
}

/// At most 3 redirects, none to a refused IP literal (names go through [`Filtering`]).
pub(crate) fn redirects(targets: AudioTargets) -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(move |attempt| {
        if attempt.previous().len() > 3 {
            attempt.error("too many redirects")
        } else if refuses_literal(&targets, attempt.url()) {
            attempt.error("refused target")
        } else {
            attempt.follow()
        }
    })
}

/// The resolver: system resolution, then only the allowed addresses.
pub(crate) struct Filtering(Arc<AudioTargets>);

impl reqwest::dns::Resolve for Filtering {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let targets = Arc::clone(&self.0);
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let found = tokio::net::lookup_host((host.as_str(), 0)).await?;
            let kept: Vec<SocketAddr> = found.filter(|a| targets.allows(a.ip())).collect();
            if kept.is_empty() {
                return Err("no allowed address".into());
            }
            let addrs: reqwest::dns::Addrs = Box::new(kept.into_iter());
            Ok(addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn loopback_by_default_private_and_link_local_only_when_listed() {
        let d = AudioTargets::parse(&["loopback".into()]).unwrap();
        assert!(d.allows(ip("127.0.0.1")) && d.allows(ip("::1")) && d.allows(ip("93.184.216.34")));
        for refused in [
            "10.0.0.5",
            "192.168.1.1",
            "172.16.0.1",
            "169.254.169.254",
            "fe80::1",
            "fd00::1",
            "::ffff:10.0.0.1",
            "0.0.0.0",
        ] {
            assert!(!d.allows(ip(refused)), "{refused}");
        }
        let wide = AudioTargets::parse(&["private".into(), "169.254.0.0/16".into()]).unwrap();
        assert!(wide.allows(ip("10.0.0.5")) && wide.allows(ip("169.254.169.254")));
        assert!(!wide.allows(ip("127.0.0.1")));
        assert!(
            AudioTargets::parse(&["any".into()])
                .unwrap()
                .allows(ip("fe80::1"))
        );
    }

    #[test]
    fn a_bad_entry_is_named() {
        let e = AudioTargets::parse(&["loopback".into(), "intranet".into()]).unwrap_err();
        assert!(e.starts_with("rop.audio_url_allow[1]"), "{e}");
        assert!(AudioTargets::parse(&["10.0.0.0/33".into()]).is_err());
    }

    #[test]
    fn literal_hosts_are_checked_before_connecting() {
        let d = AudioTargets::parse(&["loopback".into()]).unwrap();
        let url = |s: &str| url::Url::parse(s).unwrap();
        assert!(refuses_literal(
            &d,
            &url("http://169.254.169.254/latest/meta-data")
        ));
        assert!(refuses_literal(&d, &url("http://[fd00::1]:8080/a.wav")));
        assert!(!refuses_literal(&d, &url("http://127.0.0.1:9/a.wav")));
        assert!(!refuses_literal(&d, &url("http://files.example/a.wav")));
    }
}
