//! What a reader says of data it read but changed or left out: one function each, used by the
//! reader and by the command line's table of refusals and notes (README, man page), so that
//! the two never say it differently.

use crate::model::Text;

/// Which columns the positions were taken from; `swapped` when their values said the other
/// way round from their names.
pub fn coordinate_columns(lon_name: &str, lat_name: &str, swapped: bool) -> Text {
    Text::new(
        format!(
            "经度取自列 `{lon_name}`，纬度取自 `{lat_name}`{}",
            if swapped {
                "（列名与此相反，按数值判断已对调）"
            } else {
                ""
            }
        ),
        format!(
            "longitude from column `{lon_name}`, latitude from `{lat_name}`{}",
            if swapped {
                " (the columns' names say the other way round, their values this way)"
            } else {
                ""
            }
        ),
    )
}

/// A KML's NetworkLinks, not followed.
pub fn network_links_not_followed(count: usize) -> Text {
    Text::new(
        format!("{count} 个 NetworkLink（指向其他 KML 的链接）未读取：本程序不联网，也不跟随链接"),
        format!(
            "{count} NetworkLinks (links to other KML) not followed: the atlas reads only this file"
        ),
    )
}
